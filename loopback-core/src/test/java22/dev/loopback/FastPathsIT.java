package dev.loopback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopback.internal.access.FastPaths;
import dev.loopback.testing.ffm.FastPathsChild;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Which kernel paths a JVM uses, against the packaged multi-release jar: the FFM fast paths exactly
 * when native access is enabled, silently the Java 17 paths otherwise — and never a JDK warning
 * (JDK 24+ warns about restricted calls made without native access, so none may be made).
 */
class FastPathsIT {

    @Test
    void withoutNativeAccessTheJava17PathsAreUsedAndNothingIsPrinted() throws Exception {
        Child child = child(List.of());

        assertThat(child.stdout()).isEqualTo("socket tables: /proc/net; UDP links: DatagramChannel, one datagram per"
                + " system call (JDK " + Runtime.version().feature() + " without native access;"
                + " --enable-native-access=ALL-UNNAMED (in Surefire's argLine) turns on the FFM fast paths)");
        assertThat(child.stderr()).isEmpty();
    }

    @Test
    void withNativeAccessForTheClassPathTheFastPathsAreUsedAndNothingIsPrinted() throws Exception {
        Child child = child(List.of("--enable-native-access=ALL-UNNAMED"));

        assertThat(child.stdout()).startsWith("socket tables: netlink sock_diag (FFM); UDP links: ")
                .endsWith("(JDK " + Runtime.version().feature() + ", native access enabled for ALL-UNNAMED)");
        assertThat(child.stderr()).isEmpty();
    }

    @Test
    void nativeAccessForTheModuleNameAloneDoesNotEnableTheClassPath() throws Exception {
        Child child = child(List.of("--enable-native-access=dev.loopback.core"));

        assertThat(child.stdout()).startsWith("socket tables: /proc/net;");
        // The JDK itself says the module is unknown on the class path; Loopback adds nothing.
        assertThat(child.stderr()).isEqualTo("WARNING: Unknown module: dev.loopback.core specified to"
                + " --enable-native-access");
    }

    @Test
    void thisJvmReportsThePathsItUses() {
        boolean enabled = getClass().getModule().isNativeAccessEnabled();
        assertThat(FastPaths.describe()).startsWith(enabled ? "socket tables: netlink sock_diag" : "socket tables: /proc/net");
        if (Boolean.getBoolean("build.loopback.fastPaths")) { // the build enables native access on JDK 22+
            assertThat(enabled).as("native access enabled in this test JVM").isTrue();
        }
    }

    private record Child(String stdout, String stderr) {}

    private static Child child(List<String> jvmArgs) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(FastPathsChild.class.getName());
        Process process = new ProcessBuilder(command).start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        byte[] err = process.getErrorStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("child exited").isTrue();
        String stderr = new String(err, StandardCharsets.UTF_8).strip();
        assertThat(process.exitValue()).as("child's exit code; its stderr: " + stderr).isZero();
        return new Child(new String(out, StandardCharsets.UTF_8).strip(), stderr);
    }
}

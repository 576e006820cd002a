package dev.loopback;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The type system keeps faults on links that can apply them: each misuse below is compiled with
 * {@code javax.tools} against the library and must fail to compile, while the same source with a
 * valid call compiles (so a broken harness cannot pass by failing everything).
 */
class FaultMisuseDoesNotCompileTest {

    private static final String VALID = "tcp.inject(Fault.reset()); udp.inject(Fault.loss(0.1));"
            + " tcp.inject(Fault.loss(0.1).stall(Duration.ofMillis(5))); udp.inject(Fault.gilbert(0.1, 0.5).toServer());";

    @ParameterizedTest
    @ValueSource(strings = {
        "udp.inject(Fault.reset());",
        "udp.inject(Fault.loss(0.1).stall(Duration.ofMillis(5)));",
        "udp.inject(Fault.gilbert(0.1, 0.5).stall(Duration.ofMillis(5)));",
        "udp.inject(Fault.slowOpen(Duration.ofMillis(5)).onConnection(1));",
        "udp.inject(Fault.bandwidth(1000));",
        "tcp.inject(Fault.duplicate(0.1));",
        "tcp.inject(Fault.gilbertElliott(0.1, 0.5, 1, 0));",
        "tcp.inject(Fault.rate(1000).queue(10));",
        "Link<TcpFault> any = udp;",
        "Fault.reset().shared();",
    })
    void misuseDoesNotCompile(String statement, @TempDir Path out) {
        assertThat(compile(VALID, out)).as("the valid calls compile").isEmpty();
        assertThat(compile(statement, out)).as("compiling: %s", statement).contains("error");
    }

    /** Compiles a class whose method body is {@code body}; returns the compiler's diagnostics, empty on success. */
    private static String compile(String body, Path out) {
        String source = "import dev.loopback.*; import java.time.Duration;\n"
                + "class Misuse { void use(TcpLink tcp, UdpLink udp) { " + body + " } }\n";
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///Misuse.java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        List<String> options = List.of("-classpath", System.getProperty("java.class.path"), "-d", out.toString(),
                "-proc:none");
        boolean ok = compiler.getTask(diagnostics, null, null, options, null, List.of(file)).call();
        return ok ? "" : diagnostics.toString();
    }
}

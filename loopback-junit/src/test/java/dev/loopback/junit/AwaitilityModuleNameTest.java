package dev.loopback.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Awaitility declares no module name, so {@code module-info.java} requires it by the name the JDK
 * derives from its jar's file name. This pins both sides: should an Awaitility upgrade bring a name
 * of its own (or our descriptor change), the build fails here rather than on a user's module path.
 */
class AwaitilityModuleNameTest {

    @Test
    void theAwaitilityJarIsTheAutomaticModuleOurDescriptorRequires() throws URISyntaxException {
        ModuleDescriptor awaitility = descriptorOf(Awaitility.class);
        assertThat(awaitility.isAutomatic()).as("Awaitility has no module-info").isTrue();
        assertThat(awaitility.name()).as("its name, derived from the file name (no Automatic-Module-Name)")
                .isEqualTo("awaitility");

        ModuleDescriptor ours = descriptorOf(LoopbackExtension.class);
        Set<String> transitive = ours.requires().stream()
                .filter(r -> r.modifiers().contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE))
                .map(ModuleDescriptor.Requires::name)
                .collect(Collectors.toSet());
        assertThat(ours.name()).isEqualTo("dev.loopback.junit");
        assertThat(transitive).contains(awaitility.name());
    }

    private static ModuleDescriptor descriptorOf(Class<?> type) throws URISyntaxException {
        Path location = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        Set<ModuleReference> found = ModuleFinder.of(location).findAll();
        assertThat(found).as("the module at %s", location).hasSize(1);
        return found.iterator().next().descriptor();
    }
}

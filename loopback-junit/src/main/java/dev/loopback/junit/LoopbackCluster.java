package dev.loopback.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Injects a {@link dev.loopback.Cluster} of the test's {@link dev.loopback.LoopbackSpace} into a
 * field or parameter of type {@code Cluster}: {@code @LoopbackCluster(value = {"n1", "n2", "n3"},
 * ports = 7000) Cluster cluster}. It registers the {@link LoopbackExtension} itself.
 *
 * <p>Scope follows {@link LoopbackAddress}: a static field or a {@code @BeforeAll} parameter gets
 * the class's space, everything else the test's; the cluster closes with its space. Declarations
 * in one space that name the same nodes share one cluster. A failing test's report carries each
 * cluster's journal of nemesis operations, with their times, after the links' statistics.
 *
 * <p><b>Rejections.</b> The extension fails with an
 * {@link org.junit.jupiter.api.extension.ExtensionConfigurationException} naming the element for
 * an element whose type is not {@code Cluster}, for bad nodes or ports (as
 * {@link dev.loopback.LoopbackSpace#cluster(java.util.List, int...)} rejects them), and for two
 * declarations of the same nodes with different ports.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.PARAMETER})
@ExtendWith(LoopbackExtension.class)
public @interface LoopbackCluster {

    /**
     * The nodes' names, each a host of the space; at least two.
     *
     * @return the node names, in order
     */
    String[] value();

    /**
     * The ports every node serves; at least one, each in {@code 1..65535}.
     *
     * @return the ports
     */
    int[] ports();
}

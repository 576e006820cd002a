/**
 * The tests, a module of their own, so that Surefire puts them and every test dependency on the
 * module path. dev.loopback.junit brings JUnit Jupiter's API, AssertJ and dev.loopback.core with it
 * (requires transitive). JUnit and Loopback reach into the test classes by reflection (test methods,
 * @LoopbackAddress fields), hence the opens. Awaitility comes with dev.loopback.junit too (requires
 * transitive, as the automatic module "awaitility"): no line of its own here.
 */
module com.example.greeter.test {
    requires com.example.greeter;
    requires dev.loopback.junit;

    opens com.example.greeter.test to org.junit.platform.commons, dev.loopback.junit;
}

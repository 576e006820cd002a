/**
 * The tests, a module of their own, so that Surefire puts them and every test dependency on the
 * module path. dev.loopback.junit brings JUnit Jupiter's API, AssertJ and dev.loopback.core with it
 * (requires transitive). JUnit and Loopback reach into the test classes by reflection (test methods,
 * @LoopbackAddress fields), hence the opens. Awaitility has no module name of its own: "awaitility"
 * is the one the JDK derives from its file name.
 */
module com.example.greeter.test {
    requires com.example.greeter;
    requires dev.loopback.junit;
    requires awaitility;

    opens com.example.greeter.test to org.junit.platform.commons, dev.loopback.junit;
}

/** The service under test: a greeter server. It knows nothing of Loopback or JUnit. */
module com.example.greeter {
    exports com.example.greeter;
}

package dev.loopback.examples.spring;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** The application under test: a Spring Boot web app that says which address and port served a request. */
@SpringBootApplication
public class GreetingApplication {

    /** Answers {@code GET /{area}} with the area and the local address and port that served it. */
    @RestController
    static class Areas {
        @GetMapping("/{area}")
        String area(@PathVariable String area, HttpServletRequest request) {
            return area + " served by " + request.getLocalAddr() + ":" + request.getLocalPort();
        }
    }
}

package dev.loopback.cli;

import org.jspecify.annotations.Nullable;

/** A failure the user can act on: printed as one line, the process exits with {@link #exitCode()}. */
final class CliException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    CliException(int exitCode, String message, @Nullable Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}

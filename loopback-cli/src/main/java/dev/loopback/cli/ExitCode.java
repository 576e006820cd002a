package dev.loopback.cli;

/** The exit codes of {@code loopback}, each one kind of failure (documented in docs/guide/cli.md). */
final class ExitCode {

    /** Done: {@code quit}, end of input, SIGINT, or a listing printed. */
    static final int OK = 0;
    /** An unexpected failure (a bug): the message, and the stack trace with {@code --debug}. */
    static final int FAILED = 1;
    /** The command line is wrong: unknown option or command, missing option or parameter. */
    static final int USAGE = 2;
    /** A value is wrong: a bad unit or number, out of range, a non-loopback address, a fault the protocol cannot take. */
    static final int BAD_VALUE = 3;
    /** The address to listen on is taken by another socket. */
    static final int ADDRESS_IN_USE = 4;
    /** The TCP upstream refused the probe connection or did not answer. */
    static final int UPSTREAM_UNREACHABLE = 5;
    /** This machine cannot give what was asked: no loopback hosts to lease, or no socket tables to list. */
    static final int UNAVAILABLE = 6;

    private ExitCode() {}
}

package dev.loopback.cli;

import java.util.concurrent.Callable;

/** A command that reads or prints through the run's {@link Main.Io}, which {@link Main} hands it before picocli calls it. */
abstract class IoCommand implements Callable<Integer> {

    @SuppressWarnings("NullAway.Init") // Main sets it before picocli runs call()
    Main.Io io;

    final void io(Main.Io io) {
        this.io = io;
    }
}

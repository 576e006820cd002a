package dev.loopback.junit.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Tells whether a socket belongs to this process, from {@code /proc/self/fd} (Linux). */
public final class ProcessSockets {

    private static final Path FDS = Path.of("/proc/self/fd");

    private ProcessSockets() {}

    /** Returns true if this process holds the socket with {@code inode}; false if not, or if it cannot tell. */
    public static boolean ownedByThisProcess(long inode) {
        if (inode == 0) {
            return false;
        }
        String target = "socket:[" + inode + "]";
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(FDS)) {
            for (Path fd : fds) {
                try {
                    if (target.equals(Files.readSymbolicLink(fd).toString())) {
                        return true;
                    }
                } catch (IOException closedMeanwhile) {
                    // the descriptor closed while we looked; it is not the one
                }
            }
        } catch (IOException | UnsupportedOperationException noProcFs) {
            return false;
        }
        return false;
    }
}

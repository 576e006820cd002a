/**
 * The {@code loopback} command (the executable {@code loopback.jar}): links, leases and the socket
 * inspector from the shell. Its interface is the command line ({@code Main}, the subcommands and
 * their options), not these types; see the guide's CLI chapter.
 *
 * <p>Nothing in this package accepts or returns {@code null} unless it is marked
 * {@link org.jspecify.annotations.Nullable @Nullable}.
 */
@NullMarked
package dev.loopback.cli;

import org.jspecify.annotations.NullMarked;

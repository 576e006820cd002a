package dev.loopback.cli;

import dev.loopback.Fault;
import dev.loopback.FaultHandle;
import dev.loopback.Link;
import dev.loopback.LinkEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine.ParameterException;

/**
 * The live control of one link, one command a line, the same for standard input and the HTTP
 * endpoint: {@code partition}, {@code heal}, {@code inject <fault>}, {@code remove <n>},
 * {@code clear}, {@code stats}, {@code connections}, {@code events}, {@code quit}, {@code help}.
 * Injected faults are numbered from 1 in injection order; a number is never reused.
 */
final class Control<F extends Fault> {

    static final String COMMANDS = "partition, heal, inject <fault>, remove <n>, clear, stats, connections, events, quit, help";

    /** The answer to one command; {@code ok} is false for a refused one, whose text starts with {@code error:}. */
    record Reply(String text, boolean ok, boolean quit) {
        static Reply ok(String text) {
            return new Reply(text, true, false);
        }

        static Reply error(String text) {
            return new Reply("error: " + text, false, false);
        }
    }

    private final Link<F> link;
    private final Function<FaultOptions, List<F>> faults;
    private final Supplier<List<? extends Record>> connections;
    private final Map<Integer, FaultHandle> handles = new TreeMap<>();
    private int next = 1;

    Control(Link<F> link, Function<FaultOptions, List<F>> faults, Supplier<List<? extends Record>> connections) {
        this.link = link;
        this.faults = faults;
        this.connections = connections;
    }

    /** Injects {@code fault} and returns its line, {@code fault 1: latency(50ms)}. */
    synchronized String inject(F fault) {
        int n = next++;
        handles.put(n, link.inject(fault));
        return "fault " + n + ": " + fault;
    }

    /** Returns the stats line, {@code stats accepted=1 active=1 …}. */
    String stats() {
        return Records.words("stats", (Record) link.stats());
    }

    /** Runs one command line. Never throws for bad input: the reply says what was wrong. */
    synchronized Reply execute(String line) {
        List<String> words = Arrays.stream(line.trim().split("\\s+")).filter(w -> !w.isEmpty()).toList();
        if (words.isEmpty()) {
            return Reply.ok("");
        }
        List<String> args = words.subList(1, words.size());
        String command = words.get(0);
        if (!args.isEmpty() && !command.equals("inject") && !command.equals("remove")) {
            return Reply.error(command + " takes no arguments, got '" + String.join(" ", args) + "'");
        }
        return switch (command) {
            case "partition" -> {
                link.partition();
                yield Reply.ok("partitioned");
            }
            case "heal" -> {
                link.heal();
                yield Reply.ok("healed");
            }
            case "inject" -> inject(args);
            case "remove" -> remove(args);
            case "clear" -> {
                link.clear();
                handles.clear();
                yield Reply.ok("cleared");
            }
            case "stats" -> Reply.ok(stats());
            case "connections" -> Reply.ok(lines(connections.get().stream().map(c -> Records.words("connection", c)).toList(),
                    "no connections"));
            case "events" -> Reply.ok(lines(link.events().stream().map(LinkEvent::toString).toList(), "no events"));
            case "quit" -> new Reply("bye", true, true);
            case "help" -> Reply.ok("commands: " + COMMANDS + "; a fault is written as the options are, with or without --:"
                    + " inject latency 50ms jitter 5ms to-client");
            default -> Reply.error("unknown command '" + command + "'; commands: " + COMMANDS);
        };
    }

    private Reply inject(List<String> args) {
        if (args.isEmpty()) {
            return Reply.error("inject needs a fault, as in: inject latency 50ms");
        }
        List<F> made;
        try {
            made = faults.apply(FaultOptions.parseInject(args));
        } catch (ParameterException | IllegalArgumentException e) {
            return Reply.error(Objects.requireNonNullElse(e.getMessage(), e.toString()));
        }
        if (made.isEmpty()) {
            return Reply.error("inject needs a fault, as in: inject latency 50ms (got only '" + String.join(" ", args) + "')");
        }
        List<String> out = new ArrayList<>();
        for (F f : made) {
            try {
                out.add(inject(f));
            } catch (IllegalArgumentException e) {
                out.add("error: " + e.getMessage());
                return new Reply(String.join("\n", out), false, false);
            }
        }
        return Reply.ok(String.join("\n", out));
    }

    private Reply remove(List<String> args) {
        if (args.size() != 1 || !args.get(0).matches("[0-9]{1,9}")) {
            return Reply.error("remove needs one fault number, as in: remove 1");
        }
        int n = Integer.parseInt(args.get(0));
        FaultHandle handle = handles.remove(n);
        if (handle == null) {
            return Reply.error("no fault " + n + "; active: " + (handles.isEmpty() ? "none" : handles.keySet()));
        }
        handle.remove();
        return Reply.ok("removed fault " + n + ": " + handle.fault());
    }

    private static String lines(List<String> lines, String none) {
        return lines.isEmpty() ? none : String.join("\n", lines);
    }
}

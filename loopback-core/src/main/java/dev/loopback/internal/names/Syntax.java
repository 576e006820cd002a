package dev.loopback.internal.names;

import java.util.Locale;
import java.util.regex.Pattern;

/** What a host name may look like: DNS labels (RFC 1123), checked before anything is registered. */
public final class Syntax {

    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern NAME = Pattern.compile(LABEL.pattern() + "(\\." + LABEL.pattern() + ")*\\.?");
    private static final Pattern NUMERIC = Pattern.compile("[0-9.]+");

    private Syntax() {}

    /**
     * Checks that the name of a space's host or link ({@code what}) can be the first label of its
     * space name ({@code db} in {@code db.s7.loopback.test}).
     *
     * @throws IllegalArgumentException naming the value and what is allowed
     */
    public static void checkLabel(String what, String name) {
        if (name == null || !LABEL.matcher(name).matches()) {
            throw new IllegalArgumentException(what + " '" + name + "' cannot be part of a host name: a name is one DNS"
                    + " label, 1 to 63 letters, digits and '-', starting and ending with a letter or digit, such as"
                    + " \"db\" or \"payments-api\"");
        }
    }

    /**
     * Checks a name for {@code Endpoint}: DNS labels separated by dots, at most 253 characters.
     *
     * @throws IllegalArgumentException naming the value and what is allowed
     */
    public static void checkName(String name) {
        if (name == null || name.length() > 253 || !NAME.matcher(name).matches() || NUMERIC.matcher(name).matches()) {
            throw new IllegalArgumentException("host name '" + name + "' is not a DNS name: labels of letters, digits"
                    + " and '-' separated by dots, at most 253 characters, not an address literal; for example"
                    + " db.s7.loopback.test");
        }
    }

    /**
     * Checks an exclusive name ({@code db}, {@code payments.internal}) and returns it in the form
     * the table keeps (lower case, no trailing dot).
     *
     * @throws IllegalArgumentException naming the value and what is allowed
     */
    public static String checkExclusive(String name) {
        checkName(name);
        String key = NameTable.normalize(name);
        if (key.equals("localhost") || key.endsWith(".localhost")) {
            throw new IllegalArgumentException("host name '" + name + "' cannot be exclusive: localhost names"
                    + " (RFC 6761) belong to 127.0.0.1 and ::1 for every caller in the JVM; use a name such as \"db\"");
        }
        if (NameTable.isSpaceDomain(key)) {
            throw new IllegalArgumentException("host name '" + name + "' cannot be exclusive: names under "
                    + NameTable.DOMAIN + " are the spaces' own (LoopbackSpace.hostName)");
        }
        return key.toLowerCase(Locale.ROOT);
    }
}

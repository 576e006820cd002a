package dev.loopback.examples.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * Compiles every {@code ```java} block of {@code README.md} and of the markdown files under
 * {@code docs/} against the project's public API, so a sample can never stop compiling unnoticed.
 *
 * <p>A block that declares a top-level type (a test class, say) is compiled as a file of its own; any
 * other block is compiled as the body of a method ({@code throws Exception}) of a subclass of
 * {@link dev.loopback.examples.snippets.stubs.SnippetContext}, which provides the user-side names
 * the prose assumes ({@code startDatabase(...)}, {@code endpoint}, …). Both get the imports listed in
 * {@link #IMPORTS}; a block may add its own. User-side types ({@code PaymentServer}, …) are stubs in
 * {@code dev.loopback.examples.snippets.stubs}. A failure names the file, the line in it and
 * javac's message.
 */
class DocSnippetsCompileTest {

    static final List<String> IMPORTS = List.of(
            "java.io.*", "java.net.*", "java.net.http.*", "java.net.http.HttpResponse.BodyHandlers", "java.nio.*",
            "java.nio.channels.*", "java.time.*", "java.util.*", "java.util.concurrent.*", "javax.sql.DataSource",
            "com.sun.net.httpserver.HttpServer", "dev.loopback.*", "dev.loopback.inspect.*", "dev.loopback.junit.*",
            "dev.loopback.junit.assertj.*", "dev.loopback.examples.snippets.stubs.*", "org.junit.jupiter.api.*",
            "static org.assertj.core.api.Assertions.*", "static dev.loopback.junit.LoopbackAssertions.*",
            "static org.junit.jupiter.api.Assertions.assertEquals", "static org.awaitility.Awaitility.await");

    private static final Pattern TOP_LEVEL_TYPE = Pattern.compile(
            "^(@\\w+(\\(.*\\))?\\s+)*((public|final|abstract)\\s+)*(class|record|interface|enum)\\s+\\w+",
            Pattern.MULTILINE);

    /** One {@code ```java} block: where it is and its text. */
    record Snippet(Path file, int line, String code) {}

    /** A snippet as javac sees it: the wrapped source and how many lines the wrapping added before the code. */
    private static final class Source extends SimpleJavaFileObject {
        final Snippet snippet;
        final String text;
        final int prefixLines;

        Source(Snippet snippet, int index) {
            super(URI.create("string:///snippet" + index + "/Snippet.java"), Kind.SOURCE);
            this.snippet = snippet;
            StringBuilder prefix = new StringBuilder("package snippet" + index + ";\n");
            IMPORTS.forEach(i -> prefix.append("import ").append(i).append(";\n"));
            boolean typeDeclaration = TOP_LEVEL_TYPE.matcher(snippet.code()).find();
            String code = snippet.code();
            String suffix = "";
            if (!typeDeclaration) {
                prefix.append("abstract class Snippet extends SnippetContext { void snippet() throws Exception {\n");
                suffix = "\n}}\n";
            }
            this.prefixLines = (int) prefix.chars().filter(c -> c == '\n').count();
            this.text = prefix + code + suffix;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return text;
        }
    }

    static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("mvnw"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("the repository root (a directory with mvnw) above the working directory").isNotNull();
        return dir;
    }

    static List<Snippet> snippets(Path markdown) throws IOException {
        List<Snippet> found = new ArrayList<>();
        List<String> lines = Files.readAllLines(markdown, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).trim().equals("```java")) {
                int start = i + 1;
                StringBuilder code = new StringBuilder();
                for (i = start; i < lines.size() && !lines.get(i).trim().startsWith("```"); i++) {
                    code.append(lines.get(i)).append('\n');
                }
                found.add(new Snippet(markdown, start + 1, code.toString()));
            }
        }
        return found;
    }

    static List<Path> documents(Path root) throws IOException {
        List<Path> documents = new ArrayList<>(List.of(root.resolve("README.md")));
        Path docs = root.resolve("docs");
        if (Files.isDirectory(docs)) {
            try (Stream<Path> files = Files.walk(docs)) {
                files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(documents::add);
            }
        }
        return documents;
    }

    @Test
    void everyJavaSnippetInTheReadmeAndDocsCompiles() throws IOException {
        Path root = root();
        List<Source> sources = new ArrayList<>();
        for (Path document : documents(root)) {
            for (Snippet snippet : snippets(document)) {
                sources.add(new Source(snippet, sources.size()));
            }
        }
        assertThat(sources).as("java snippets in README.md and docs/").isNotEmpty();

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Path out = Files.createTempDirectory("snippets");
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        boolean ok = javac.getTask(null, null, diagnostics,
                List.of("-proc:none", "-d", out.toString(), "-classpath", classPath, "--release", "17"),
                null, sources).call();

        List<String> errors = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() != Diagnostic.Kind.ERROR) {
                continue;
            }
            Source source = (Source) d.getSource();
            long codeLine = d.getLineNumber() - source.prefixLines - 1;
            errors.add(String.format(Locale.ROOT, "%s:%d: %s", root.relativize(source.snippet.file()),
                    source.snippet.line() + codeLine, d.getMessage(Locale.ROOT)));
        }
        assertThat(errors).as("compiler errors in documentation snippets (%d snippets; user-side names come from"
                + " dev.loopback.examples.snippets.stubs)", sources.size()).isEmpty();
        assertThat(ok).isTrue();
    }
}

package dev.loopback.examples.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Checks every relative link of {@code README.md} and of the markdown files under {@code docs/} (the
 * documents {@link DocSnippetsCompileTest} compiles): the file or directory it names exists, and an
 * anchor ({@code #leak-check}) names a heading of the markdown file it points into, as GitHub derives
 * anchors from headings. Links to other sites ({@code https:}, {@code mailto:}) are not followed, and
 * nothing inside code blocks or code spans is read as a link. A failure lists each broken link with
 * its file and line.
 */
class DocLinksResolveTest {

    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern CODE_SPAN = Pattern.compile("`[^`]*`");
    private static final Pattern EXTERNAL = Pattern.compile("^[a-z][a-z0-9+.-]*:", Pattern.CASE_INSENSITIVE);

    /** The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens. */
    static String anchor(String heading) {
        return heading.trim().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
    }

    static Set<String> anchors(Path markdown) throws IOException {
        List<String> headings = new ArrayList<>();
        boolean code = false;
        for (String line : Files.readAllLines(markdown, StandardCharsets.UTF_8)) {
            if (line.trim().startsWith("```")) {
                code = !code;
            } else if (!code && line.startsWith("#")) {
                headings.add(anchor(line.replaceFirst("^#+", "")));
            }
        }
        return headings.stream().collect(Collectors.toSet());
    }

    static List<String> brokenLinks(Path root, Path markdown) throws IOException {
        List<String> broken = new ArrayList<>();
        List<String> lines = Files.readAllLines(markdown, StandardCharsets.UTF_8);
        boolean code = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.trim().startsWith("```")) {
                code = !code;
                continue;
            }
            if (code) {
                continue;
            }
            Matcher link = LINK.matcher(CODE_SPAN.matcher(line).replaceAll("``"));
            while (link.find()) {
                String target = link.group(1);
                if (EXTERNAL.matcher(target).find()) {
                    continue;
                }
                String where = root.relativize(markdown) + ":" + (i + 1) + ": (" + target + ")";
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                Path resolved = file.isEmpty() ? markdown : markdown.getParent().resolve(file).normalize();
                if (!Files.exists(resolved)) {
                    broken.add(where + " names no file: " + root.relativize(resolved));
                } else if (hash >= 0 && resolved.toString().endsWith(".md")
                        && !anchors(resolved).contains(target.substring(hash + 1))) {
                    broken.add(where + " names no heading of " + root.relativize(resolved));
                }
            }
        }
        return broken;
    }

    @Test
    void everyRelativeLinkInTheReadmeAndDocsResolves() throws IOException {
        Path root = DocSnippetsCompileTest.root();
        List<Path> documents = DocSnippetsCompileTest.documents(root);
        assertThat(documents).as("markdown documents").hasSizeGreaterThan(1);
        List<String> broken = new ArrayList<>();
        for (Path document : documents) {
            broken.addAll(brokenLinks(root, document));
        }
        assertThat(broken).as("broken links in README.md and docs/").isEmpty();
    }

    @Test
    void anchorsAreDerivedFromHeadingsAsGithubDoes() {
        assertThat(anchor(" Host names (JDK 18+)")).isEqualTo("host-names-jdk-18");
        assertThat(anchor(" JUnit Jupiter: `@LoopbackAddress`")).isEqualTo("junit-jupiter-loopbackaddress");
        assertThat(anchor(" Seeds and failure reports")).isEqualTo("seeds-and-failure-reports");
    }
}

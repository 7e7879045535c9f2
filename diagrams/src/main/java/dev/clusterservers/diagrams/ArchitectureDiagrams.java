package dev.clusterservers.diagrams;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import net.sourceforge.plantuml.BlockUml;
import net.sourceforge.plantuml.FileFormat;
import net.sourceforge.plantuml.FileFormatOption;
import net.sourceforge.plantuml.SourceStringReader;
import net.sourceforge.plantuml.error.PSystemError;
import net.sourceforge.plantuml.preproc.Defines;
import net.sourceforge.plantuml.security.SFile;

/**
 * The architecture diagrams are source, like the code they draw: every
 * {@code diagrams/architecture/NAME.puml} renders to {@code NAME.svg} beside it, inside this JVM.
 *
 * <p>PlantUML lays the boxes out with smetana, its Java port of Graphviz's {@code dot}
 * ({@code !pragma layout smetana} in the shared {@code skin.iuml}), so rendering needs no
 * program outside the JVM. A source with a mistake fails loudly with its line number instead
 * of leaving PlantUML's red error picture in a README.
 */
public final class ArchitectureDiagrams {
    /** Where the sources and the rendered SVGs live, relative to the repository root. */
    public static final Path DIRECTORY = Path.of("diagrams", "architecture");
    static final String SOURCE = ".puml";
    private static final Pattern TEXT = Pattern.compile("<text\\b[^>]*>([^<]*)</text>");

    private ArchitectureDiagrams() {
    }

    /** Renders every diagram source of the repository to the SVG beside it; returns the files written. */
    public static List<Path> renderAll(Path repoRoot) throws IOException {
        List<Path> written = new ArrayList<>();
        for (Path source : sources(repoRoot.resolve(DIRECTORY))) {
            Path svg = svgOf(source);
            Files.writeString(svg, render(source), StandardCharsets.UTF_8);
            written.add(svg);
        }
        return written;
    }

    /** The diagram sources in {@code directory}, by name; the included skin is not one. */
    public static List<Path> sources(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().endsWith(SOURCE)).sorted().toList();
        }
    }

    /** Where the SVG of {@code source} is committed: beside it, with the same name. */
    public static Path svgOf(Path source) {
        String name = source.getFileName().toString();
        return source.resolveSibling(name.substring(0, name.length() - SOURCE.length()) + ".svg");
    }

    /** Renders one source to SVG text; a source PlantUML cannot read is an exception, never a picture of the error. */
    public static String render(Path source) throws IOException {
        String text = Files.readString(source, StandardCharsets.UTF_8);
        // The source's own folder is PlantUML's current directory, so `!include skin.iuml`
        // works whether Maven runs from the repository root (exec:java) or the module (tests).
        Path folder = source.toAbsolutePath().getParent();
        SourceStringReader reader = new SourceStringReader(Defines.createWithFileName(source.toFile()), text,
                StandardCharsets.UTF_8, List.of(), new SFile(folder.toString()));
        if (reader.getBlocks().size() != 1) {
            throw new IOException(source + ": expected one @startuml ... @enduml block, found " + reader.getBlocks().size());
        }
        BlockUml block = reader.getBlocks().get(0);
        if (block.getDiagram() instanceof PSystemError error) {
            throw new IOException(source + ": line " + (error.getLineLocation().getPosition() + 1) + ": "
                    + error.getWarningOrError());
        }
        // Without metadata: the SVG then carries no encoded copy of the source, so a diff of
        // the SVG shows what changed in the picture and nothing else.
        FileFormatOption svg = new FileFormatOption(FileFormat.SVG, false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        reader.outputImage(out, 0, svg);
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * The words a reader sees in an SVG, in the order they are drawn. Box sizes and positions
     * depend on the fonts of the machine that rendered it; these do not, so they are what a
     * test compares between a committed SVG and a fresh rendering.
     */
    public static List<String> labels(String svg) {
        List<String> labels = new ArrayList<>();
        Matcher matcher = TEXT.matcher(svg);
        while (matcher.find()) {
            labels.add(unescape(matcher.group(1)));
        }
        return labels;
    }

    private static String unescape(String xml) {
        return xml.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&#39;", "'").replace("&apos;", "'").replace("&#160;", "\u00a0").replace("&amp;", "&");
    }
}

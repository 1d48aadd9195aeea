package dev.llamascope.engine.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.llamascope.engine.SharedData;
import dev.llamascope.engine.model.ModelConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The project's models/catalog.json, and the errors a broken catalog gives. */
class CatalogTest {
    static Path projectCatalog() {
        // Engine tests run in engine/; the catalog lives in the project's models/ folder.
        Path p = Path.of("..", "models", "catalog.json");
        assumeTrue(Files.isRegularFile(p), "models/catalog.json not found from " + Path.of("").toAbsolutePath());
        return p;
    }

    /** Bytes of a llama2.c version 0 checkpoint of a shape: 7-int header, weights, RoPE tables, classifier if separate. */
    static long v0Size(ModelConfig c) {
        long floats = c.parameterCount() + (long) c.seqLen() * c.headSize();
        return 28 + 4 * floats;
    }

    @Test
    void projectCatalogListsTheKnownModelsWithStories15MAsDefault() throws IOException {
        Catalog c = Catalog.load(projectCatalog());
        assertEquals(List.of("stories15M", "stories260K", "stories42M", "stories110M", "tinystories-zh-93M", "zh-stories15M"),
                c.entries().stream().map(CatalogEntry::name).toList());
        assertEquals("stories15M", c.defaultEntry().orElseThrow().name());
        assertEquals("stories42M", c.find("STORIES42m").orElseThrow().name());
        CatalogException ex = assertThrows(CatalogException.class, () -> c.require("stories7B"));
        assertTrue(ex.getMessage().startsWith("no model named 'stories7B' in the catalog (known: stories15M, stories260K"), ex.getMessage());
        for (CatalogEntry e : c.entries()) {
            assertTrue(e.files().stream().allMatch(f -> f.url().getScheme().equals("https")), e.name());
            assertEquals("tokenizer.bin", e.tokenizerFile().orElseThrow().path(), "loader finds tokenizer.bin beside the model: " + e.name());
        }
    }

    @Test
    void officialValuesAreTheOnesFromSharedReadme() throws IOException {
        Catalog c = Catalog.load(projectCatalog());
        Map<String, String> sha = Map.of(
                "stories15M", "cd590644d963867a2b6e5a1107f51fad663c41d79c149fbecbbb1f95fa81f49a",
                "stories42M", "9f65a1000e17d0bc167dd6332e0ce5119a0222a3d920cead5bce413bfab2ee7b",
                "stories110M", "515267168726a1ed1317a64a408492e6af3b67c1f71c5bd98c01d9d721803a24");
        sha.forEach((name, hash) -> {
            CatalogFile f = c.find(name).orElseThrow().modelFile();
            assertEquals(hash, f.sha256(), name);
            assertTrue(f.verified(), name);
        });
        assertEquals(60816028L, c.find("stories15M").orElseThrow().modelFile().size());
    }

    @Test
    void modelSizesMatchTheLlama2cLayoutOfTheirShape() throws IOException {
        // stories15M's official size is exactly this formula; the others come from Hugging Face's LFS pointers.
        Catalog c = Catalog.load(projectCatalog());
        for (String name : List.of("stories15M", "stories42M", "stories110M", "stories260K", "tinystories-zh-93M")) {
            CatalogEntry e = c.find(name).orElseThrow();
            assertEquals(v0Size(e.shape()), e.modelFile().size(), name);
        }
    }

    @Test
    void stories260KChecksumsAreThoseOfTheSharedFiles() throws IOException {
        CatalogEntry e = Catalog.load(projectCatalog()).find("stories260K").orElseThrow();
        Path model = SharedData.file("models/stories260K/stories260K.bin");
        Path tok = SharedData.file("models/stories260K/tok512.bin");
        assertEquals(Checksums.sha256(model), e.modelFile().sha256());
        assertEquals(Files.size(model), e.modelFile().size());
        assertEquals(Checksums.sha256(tok), e.tokenizerFile().orElseThrow().sha256());
        assertEquals(Files.size(tok), e.tokenizerFile().orElseThrow().size());
    }

    @Test
    void llamaTokenizerChecksumIsThatOfTheSharedFile() throws IOException {
        CatalogFile f = Catalog.load(projectCatalog()).find("stories15M").orElseThrow().tokenizerFile().orElseThrow();
        Path tok = SharedData.file("tokenizers/llama2/tokenizer.bin");
        assertEquals(Checksums.sha256(tok), f.sha256());
        assertEquals(Files.size(tok), f.size());
        assertFalse(f.verified(), "the GitHub file itself could not be checked offline");
    }

    // ---- errors: each names the file, the entry and the field ----

    static final String FILE = """
            {"path": "m.bin", "role": "model", "url": "https://example.org/m.bin", "size": 10,
             "sha256": "%s", "verified": true}""".formatted("a".repeat(64));

    static String catalog(String entries) {
        return "{\"version\": 1, \"models\": [" + entries + "]}";
    }

    static String entry(String name, String extra, String files) {
        return "{\"name\": \"" + name + "\"" + extra + ", \"files\": [" + files + "]}";
    }

    static String error(String json) {
        return assertThrows(CatalogException.class, () -> Catalog.parse(json, "cat.json")).getMessage();
    }

    @Test
    void aValidMinimalCatalogParses() throws CatalogException {
        Catalog c = Catalog.parse(catalog(entry("m", "", FILE)), "cat.json");
        CatalogFile f = c.entries().getFirst().modelFile();
        assertEquals(10, f.size());
        assertTrue(c.defaultEntry().isEmpty());
        assertEquals(null, c.entries().getFirst().shape());
    }

    @Test
    void syntaxErrorsGiveLineAndColumn() {
        String msg = error("{\"version\": 1,\n \"models\": [\n  {\"name\" \"x\"}]}");
        assertEquals("cat.json: invalid JSON at line 3, column 11: expected ':'", msg);
        assertTrue(error("").startsWith("cat.json: invalid JSON at line 1, column 1"));
        assertEquals("cat.json: expected a JSON object at the top level", error("[]"));
    }

    @Test
    void structuralErrorsNameTheEntryAndTheField() {
        assertEquals("cat.json: 'models' should be a list of entries", error("{\"models\": 3}"));
        assertEquals("cat.json: catalog version 2 is not supported (this program reads version 1)", error("{\"version\": 2, \"models\": []}"));
        assertEquals("cat.json: model 'm': unknown key 'sha265' (allowed: default, description, files, format, license, name, note, shape, source)",
                error(catalog(entry("m", ", \"sha265\": \"x\"", FILE))));
        assertEquals("cat.json: model 'm': files[0]: 'sha256' should be 64 lowercase hex digits",
                error(catalog(entry("m", "", FILE.replace("a".repeat(64), "A".repeat(64))))));
        assertEquals("cat.json: model 'm': files[0]: 'path' ../m.bin is not a plain relative file name",
                error(catalog(entry("m", "", FILE.replace("\"m.bin\"", "\"../m.bin\"")))));
        assertEquals("cat.json: model 'm': files[0]: 'path' /etc/m.bin is not a plain relative file name",
                error(catalog(entry("m", "", FILE.replace("\"m.bin\"", "\"/etc/m.bin\"")))));
        assertEquals("cat.json: model 'm': files[0]: 'url' ftp://example.org/m.bin is not an http(s) address",
                error(catalog(entry("m", "", FILE.replace("https:", "ftp:")))));
        assertEquals("cat.json: model 'm': files[0]: 'role' should be model, tokenizer or other, not 'weights'",
                error(catalog(entry("m", "", FILE.replace("\"model\"", "\"weights\"")))));
        assertEquals("cat.json: model 'm': files[0]: a verified file needs both 'size' and 'sha256'",
                error(catalog(entry("m", "", FILE.replace("\"size\": 10,", "")))));
        assertEquals("cat.json: model 'm': files[0]: 'size' should be a whole number",
                error(catalog(entry("m", "", FILE.replace("10", "\"10\"")))));
        assertEquals("cat.json: model 'm': needs exactly one file with role 'model', has 0",
                error(catalog(entry("m", "", FILE.replace("\"model\"", "\"tokenizer\"")))));
        assertEquals("cat.json: model 'm': 'files' is empty", error(catalog(entry("m", "", ""))));
        assertEquals("cat.json: models[0]: 'name' is missing", error(catalog("{\"files\": [" + FILE + "]}")));
        assertEquals("cat.json: model 'a b': 'name' should be 1-64 letters, digits, '.', '_' or '-' (it is a folder name)",
                error(catalog(entry("a b", "", FILE))));
        assertEquals("cat.json: model 'M': the name is used twice", error(catalog(entry("m", "", FILE) + "," + entry("M", "", FILE))));
        assertEquals("cat.json: 2 models are marked default; at most one may be",
                error(catalog(entry("a", ", \"default\": true", FILE) + "," + entry("b", ", \"default\": true", FILE))));
        assertEquals("cat.json: model 'm': shape: n_heads = 7 is out of range (1..5)",
                error(catalog(entry("m", ", \"shape\": {\"dim\": 5, \"hidden\": 8, \"layers\": 1, \"heads\": 7, \"vocab\": 9, \"seq\": 4}", FILE))));
        assertEquals("cat.json: model 'm': shape: 'seq' is missing",
                error(catalog(entry("m", ", \"shape\": {\"dim\": 8, \"hidden\": 8, \"layers\": 1, \"heads\": 2, \"vocab\": 9}", FILE))));
    }

    @Test
    void loadNamesTheFile(@TempDir Path tmp) throws IOException {
        Path f = tmp.resolve("catalog.json");
        Files.writeString(f, "{\"models\": [}");
        String msg = assertThrows(CatalogException.class, () -> Catalog.load(f)).getMessage();
        assertTrue(msg.startsWith(f + ": invalid JSON at line 1, column 13"), msg);
        Files.write(f, new byte[] {'{', (byte) 0xff, '}'});
        assertEquals(f + ": not UTF-8 text", assertThrows(CatalogException.class, () -> Catalog.load(f)).getMessage());
    }

    @Test
    void catalogIsFoundInTheModelsFolderThenTheProject(@TempDir Path tmp) throws IOException {
        Path project = tmp.resolve("project");
        Files.createDirectories(project.resolve("models"));
        Files.writeString(project.resolve("models/catalog.json"), catalog(""));
        Properties props = new Properties();
        props.setProperty(ModelsFolder.ROOT_PROPERTY, project.toString());
        ModelsFolder elsewhere = new ModelsFolder(tmp.resolve("elsewhere"));
        assertEquals(project.resolve("models/catalog.json"), Catalog.locate(elsewhere, props));
        Files.createDirectories(elsewhere.root());
        Files.writeString(elsewhere.root().resolve("catalog.json"), catalog(""));
        assertEquals(elsewhere.root().resolve("catalog.json"), Catalog.locate(elsewhere, props));
    }

    @Test
    void modelsFolderComesFromTheEnvironmentThenTheProject(@TempDir Path tmp) {
        Properties props = new Properties();
        props.setProperty(ModelsFolder.ROOT_PROPERTY, tmp.toString());
        assertEquals(tmp.resolve("models"), ModelsFolder.locate(Map.of(), props).root());
        assertEquals(tmp.resolve("mine").toAbsolutePath(), ModelsFolder.locate(Map.of(ModelsFolder.ENV, tmp.resolve("mine").toString()), props).root());
        assertEquals(Path.of("models").toAbsolutePath(), ModelsFolder.locate(Map.of(ModelsFolder.ENV, " "), new Properties()).root());
    }

    @Test
    void statusAndOtherModels(@TempDir Path tmp) throws IOException {
        Catalog c = Catalog.parse(catalog(entry("m", "", FILE)), "cat.json");
        CatalogEntry e = c.entries().getFirst();
        ModelsFolder folder = new ModelsFolder(tmp);
        assertEquals(InstallStatus.State.NOT_INSTALLED, folder.status(e).state());
        Files.createDirectories(folder.dirOf(e));
        Files.write(ModelsFolder.partialOf(folder.pathOf(e, e.modelFile())), new byte[4]);
        InstallStatus partial = folder.status(e);
        assertEquals(InstallStatus.State.PARTIAL, partial.state());
        assertEquals(4, partial.presentBytes());
        assertEquals(10, partial.expectedBytes());
        Files.write(folder.pathOf(e, e.modelFile()), new byte[10]);
        assertEquals(InstallStatus.State.INSTALLED, folder.status(e).state());
        assertEquals(folder.pathOf(e, e.modelFile()), folder.installed(c).getFirst().model());

        Files.write(tmp.resolve("mine.gguf"), new byte[1]);
        Files.write(tmp.resolve("tok4096.bin"), new byte[1]);
        Files.createDirectories(tmp.resolve("hf"));
        Files.writeString(tmp.resolve("hf/config.json"), "{}");
        Files.createDirectories(tmp.resolve("trained"));
        Files.write(tmp.resolve("trained/ckpt.bin"), new byte[1]);
        assertEquals(List.of(tmp.resolve("hf"), tmp.resolve("mine.gguf"), tmp.resolve("trained/ckpt.bin")), folder.otherModels(c));
    }

    @Test
    void humanSizes() {
        assertEquals("999 B", Sizes.human(999));
        assertEquals("60.8 MB", Sizes.human(60816028));
        assertEquals("438 MB", Sizes.human(438381596));
        assertEquals("6.2 kB", Sizes.human(6227));
        assertEquals("?", Sizes.human(-1));
    }
}

package dev.llamascope.engine.data.prep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.llamascope.engine.data.DataFormat;
import dev.llamascope.engine.data.DataFormatException;
import dev.llamascope.engine.data.PromptTemplate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetStatsTest {
    @TempDir
    Path dir;

    @Test
    void countsDocumentsInCharacters() throws Exception {
        Path t = Files.writeString(dir.resolve("t.txt"), "abc\n\n你好世界 ok\nxy\n");
        DatasetStats s = DatasetStats.of(t, DataFormat.AUTO, null, 2);
        assertEquals(new DatasetStats(DataFormat.TEXT, 3, 3 + 7 + 2, 2, 7, 0, List.of("abc", "你好世界 ok")), s);
    }

    @Test
    void rendersConversationsAndCountsMultiTurnOnes() throws Exception {
        Path a = Files.writeString(dir.resolve("a.jsonl"), """
                {"instruction": "Hi", "input": "", "output": "Yo"}
                {"instruction": "And?", "input": "", "output": "So.", "history": [["Hi", "Yo"]]}
                """);
        DatasetStats s = DatasetStats.of(a, DataFormat.AUTO, PromptTemplate.CHAT, 1);
        assertEquals(DataFormat.ALPACA, s.format());
        assertEquals(2, s.records());
        assertEquals(1, s.multiTurn());
        assertEquals(List.of("USER: Hi\nASSISTANT:Yo</s>"), s.samples());
        assertEquals(s.samples().getFirst().length(), s.shortest());
        Path u16 = Files.write(dir.resolve("x.u16"), new byte[]{1, 0, 7, 0});
        assertThrows(DataFormatException.class, () -> DatasetStats.of(u16, DataFormat.AUTO, null, 1));
    }
}

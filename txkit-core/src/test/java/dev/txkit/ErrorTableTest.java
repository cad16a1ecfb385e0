package dev.txkit;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's error table lists every {@link ErrorCode} with its real HTTP status and retryability,
 * and every code a client sees as other than 500 has a {@link Problem} title of its own.
 */
class ErrorTableTest {
    private static final Pattern CODE = Pattern.compile("`([A-Z_]+)`");

    /** Each code of the table's rows, with the row's "HTTP | retryable" cells, e.g. {@code 409 yes}. */
    static Map<ErrorCode, String> readmeTable() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("..", "README.md"));
        int start = lines.indexOf("## Errors");
        assertThat(start).as("README has an Errors section").isNotNegative();
        Map<ErrorCode, String> rows = new EnumMap<>(ErrorCode.class);
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("## ")) {
                break;
            }
            String[] cells = line.split("\\|");
            if (!line.startsWith("| `") || cells.length < 4) {
                continue;
            }
            Matcher m = CODE.matcher(cells[1]);
            while (m.find()) {
                rows.put(ErrorCode.valueOf(m.group(1)), cells[2].trim() + " " + cells[3].trim());
            }
        }
        return rows;
    }

    @Test
    void everyErrorCodeIsInTheReadmeWithItsStatusAndRetryability() throws IOException {
        Map<ErrorCode, String> table = readmeTable();
        for (ErrorCode code : ErrorCode.values()) {
            assertThat(table).as("README error table row for " + code).containsKey(code);
            assertThat(table.get(code)).as(code + ": HTTP status and retryable")
                    .isEqualTo(code.httpStatus() + " " + (code.retryable() ? "yes" : "no"));
        }
    }

    @Test
    void everyCodeThatIsNotA500HasItsOwnProblemTitle() {
        for (ErrorCode code : ErrorCode.values()) {
            if (code.httpStatus() != 500) {
                assertThat(Problem.of(code).title()).as("title of " + code).isNotEqualTo("Internal error");
            }
        }
    }
}

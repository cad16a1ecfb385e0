package dev.txkit.internal.table;

import dev.txkit.TxkitException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NamesTest {

    @Test
    void snakeCaseOfRecordAndComponentNames() {
        assertThat(Names.snake("Seat")).isEqualTo("seat");
        assertThat(Names.snake("SeatBooking")).isEqualTo("seat_booking");
        assertThat(Names.snake("createdAt")).isEqualTo("created_at");
        assertThat(Names.snake("userId")).isEqualTo("user_id");
        assertThat(Names.snake("HTTPServer")).isEqualTo("http_server");
        assertThat(Names.snake("id")).isEqualTo("id");
        assertThat(Names.snake("already_snake")).isEqualTo("already_snake");
        assertThat(Names.snake("v2Count")).isEqualTo("v2_count");
    }

    @Test
    void onlyPlainNamesAreValid() {
        assertThat(Names.valid("seat_booking")).isTrue();
        assertThat(Names.valid("_x1")).isTrue();
        assertThat(Names.valid("a".repeat(63))).isTrue();
        for (String bad : new String[]{null, "", "1seat", "seat;", "se\"at", "seat booking", "seat--", "a".repeat(64),
                "séat", "seat`", "seat'"}) {
            assertThat(Names.valid(bad)).as(String.valueOf(bad)).isFalse();
        }
        assertThatThrownBy(() -> Names.require("x\u0000y", "the column")).isInstanceOf(TxkitException.class)
                .hasMessageContaining("the column").hasMessageContaining("'x\\u0000y'");
    }
}

package dev.txkit.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad input ends with one clear line on stderr, exit code 2, and no stack trace unless --verbose. */
class CliTest {

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    private static void assertOneLineBadInput(Run r, String mentions) {
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).contains(mentions).doesNotContain("\tat ");
    }

    @Test
    void unknownOptionIsOneLineAndExitCode2() {
        assertOneLineBadInput(run("demo", "--no-such-option"), "--no-such-option");
    }

    @Test
    void unknownScenarioIsOneLineAndExitCode2() {
        assertOneLineBadInput(run("demo", "--json", "no-such-scenario"), "unknown scenario 'no-such-scenario'");
    }

    @Test
    void badBenchFlagsAreOneLineAndExitCode2() {
        assertOneLineBadInput(run("bench", "--no-such-flag"), "--no-such-flag");
        assertOneLineBadInput(run("bench", "--clients", "0"), "--clients must be between 1 and 512");
        assertOneLineBadInput(run("bench", "--clients", "four"), "--clients");
        assertOneLineBadInput(run("bench", "--seconds", "-1"), "--seconds must be between 0 and 600");
        assertOneLineBadInput(run("bench", "--workloads", "W9"), "unknown workload 'W9'");
        assertOneLineBadInput(run("bench", "--strategies", "yolo"), "unknown strategy 'yolo'");
        assertOneLineBadInput(run("bench", "--workloads", "W3-any", "--strategies", "occ"), "nothing to run");
    }

    @Test
    void unknownCommandIsOneLineAndExitCode2() {
        assertOneLineBadInput(run("frobnicate"), "frobnicate");
    }

    @Test
    void unreachableUrlIsOneLineAndExitCode2() {
        assertOneLineBadInput(run("demo", "--json", "--url", "jdbc:postgresql://127.0.0.1:1/nowhere", "timeout"),
                "cannot connect");
        assertOneLineBadInput(run("doctor", "--url", "jdbc:mariadb://127.0.0.1:1/nowhere"), "cannot connect");
    }

    @Test
    void unsupportedUrlIsOneLineAndExitCode2() {
        assertOneLineBadInput(run("doctor", "--url", "jdbc:oracle:thin:@x"), "unsupported --url");
    }

    @Test
    void verboseAddsTheStackTrace() {
        Run r = run("demo", "--verbose", "--json", "--url", "jdbc:postgresql://127.0.0.1:1/nowhere", "timeout");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("cannot connect").contains("\tat ");
    }

    @Test
    void longExplanationsWrapAtSpacesWithoutLosingWords() {
        String text = "one two three four five six seven eight nine ten";
        java.util.List<String> lines = Report.wrap(text, 14);
        assertThat(lines).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(14));
        assertThat(String.join(" ", lines)).isEqualTo(text);
        assertThat(lines).hasSizeGreaterThan(2);
    }

    @Test
    void aPasswordIsNeverPrintedWhateverFormItTakes() { // issue 15 item 9
        String secret = "p4ssw0rd-15";
        assertThat(DemoCommand.redact("jdbc:mariadb://root:" + secret + "@127.0.0.1:3306/test"))
                .isEqualTo("jdbc:mariadb://***@127.0.0.1:3306/test");
        for (String[] args : new String[][]{
                {"doctor", "--url", "jdbc:mariadb://root:" + secret + "@127.0.0.1:3306/test"},
                {"doctor", "--verbose", "--url", "jdbc:postgresql://postgres:" + secret + "@127.0.0.1:5432/test"},
                {"doctor", "--verbose", "--url", "jdbc:mariadb://127.0.0.1:1/test?password=" + secret},
                {"doctor", "--verbose", "--url", "jdbc:mariadb://127.0.0.1:3306/test", "--user", "root", "--password", secret},
                {"demo", "--json", "--verbose", "--url", "jdbc:mariadb://root:" + secret + "@127.0.0.1:3306/test", "timeout"}}) {
            Run r = run(args);
            assertThat(r.code()).as(String.join(" ", args) + ": " + r.err()).isEqualTo(2);
            assertThat(r.err() + r.out()).as(String.join(" ", args)).doesNotContain(secret).contains("txkit: ");
        }
        assertOneLineBadInput(run("doctor", "--url", "jdbc:mariadb://root:" + secret + "@127.0.0.1:3306/test"),
                "--user and --password");
    }

    @Test
    void credentialsInTheUrlAreNotEchoed() {
        assertThat(DemoCommand.redact("jdbc:mariadb://h/db?user=app&password=s3cret")).doesNotContain("s3cret")
                .contains("password=***");
    }
}

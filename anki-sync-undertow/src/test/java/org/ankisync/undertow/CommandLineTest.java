package org.ankisync.undertow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.ankisync.undertow.CommandLine.Kind;
import org.junit.jupiter.api.Test;

class CommandLineTest {
    private static CommandLine.Parsed parse(String... args) {
        return CommandLine.parse(args);
    }

    @Test
    void noArgumentsOrServeRunTheServer() {
        assertEquals(Kind.SERVE, parse().kind());
        assertEquals(Kind.SERVE, parse("serve").kind());
    }

    @Test
    void unknownCommandsAndOptionsAreUsageErrors() {
        for (String[] args : List.of(
                new String[] {"bogus"},
                new String[] {"--port", "1"},
                new String[] {"serve", "--port"},
                new String[] {"doctor", "--endpont", "x"},
                new String[] {"doctor", "--endpoint"})) {
            CommandLine.Parsed parsed = parse(args);
            assertEquals(Kind.USAGE_ERROR, parsed.kind(), String.join(" ", args));
            assertTrue(parsed.text().contains("usage:"), parsed.text());
        }
    }

    @Test
    void helpAndVersionWorkForEveryCommand() {
        for (String command : new String[] {"serve", "user", "key", "doctor", "node"}) {
            assertEquals(Kind.HELP, parse(command, "--help").kind(), command);
            assertEquals(Kind.VERSION, parse(command, "--version").kind(), command);
        }
        assertEquals(Kind.HELP, parse("--help").kind());
        assertEquals(Kind.VERSION, parse("--version").kind());
        assertTrue(parse("doctor", "--help").text().contains("--endpoint"));
    }

    @Test
    void doctorTakesAnEndpoint() {
        assertEquals(
                List.of("https://anki.example.com/"),
                parse("doctor", "--endpoint", "https://anki.example.com/").args());
        assertEquals(
                List.of("http://h/"), parse("doctor", "--endpoint=http://h/").args());
        assertEquals(List.of(), parse("doctor").args());
    }

    @Test
    void accountCommandsGoToTheAccountsCommandLine() {
        CommandLine.Parsed parsed = parse("user", "add", "alice");
        assertEquals(Kind.ACCOUNTS, parsed.kind());
        assertEquals(List.of("user", "add", "alice"), parsed.args());
    }

    @Test
    void nodeCommandsGoToTheClusterCommandLine() {
        CommandLine.Parsed parsed = parse("node", "move", "alice", "--to", "node3");
        assertEquals(Kind.NODE, parsed.kind());
        assertEquals(List.of("node", "move", "alice", "--to", "node3"), parsed.args());
        assertTrue(parse("node", "--help").text().contains("node drain NODE"));
    }
}

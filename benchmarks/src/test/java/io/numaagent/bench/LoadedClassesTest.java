package io.numaagent.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoadedClassesTest {

    private static Path fixture() throws URISyntaxException {
        return Path.of(LoadedClassesTest.class.getResource("/class-load.log").toURI());
    }

    @Test
    void classesAreCountedByTheLibraryTheirPackageBelongsTo() throws URISyntaxException {
        Map<String, Integer> counts = LoadedClasses.byLibrary(fixture());
        assertEquals(13, counts.get("total"));
        assertEquals(2, counts.get("JDK from CDS archive"));
        assertEquals(2, counts.get("JDK parsed"));
        assertEquals(2, counts.get("numa-agent"));
        assertEquals(2, counts.get("Byte Buddy"));
        assertEquals(1, counts.get("JNA"));
        assertEquals(1, counts.get("OpenHFT"));
        assertEquals(1, counts.get("SLF4J"));
        assertEquals(1, counts.get("benchmark"));
        assertEquals(1, counts.get("other"));
    }

    @Test
    void namesKeepLoadOrder() throws URISyntaxException {
        assertEquals("java.lang.Object", LoadedClasses.names(fixture()).iterator().next());
    }
}

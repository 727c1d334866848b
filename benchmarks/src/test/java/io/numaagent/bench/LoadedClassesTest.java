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

    private static Map<String, LoadedClasses.Group> groups() throws URISyntaxException {
        return LoadedClasses.byLibrary(fixture());
    }

    @Test
    void classesAreCountedByTheLibraryTheirPackageBelongsTo() throws URISyntaxException {
        Map<String, LoadedClasses.Group> g = groups();
        assertEquals(13, g.get("total").classes());
        assertEquals(2, g.get("JDK from CDS archive").classes());
        assertEquals(2, g.get("JDK parsed").classes());
        assertEquals(2, g.get("numa-agent").classes());
        assertEquals(2, g.get("Byte Buddy").classes());
        assertEquals(1, g.get("JNA").classes());
        assertEquals(1, g.get("OpenHFT").classes());
        assertEquals(1, g.get("SLF4J").classes());
        assertEquals(1, g.get("benchmark").classes());
        assertEquals(1, g.get("other").classes());
    }

    @Test
    void theGapBeforeEachLoadIsChargedToTheLibraryOfTheClassLoaded() throws URISyntaxException {
        Map<String, LoadedClasses.Group> g = groups();
        assertEquals(11_000_000L, g.get("JDK from CDS archive").nanos()); // 10 ms to Object, 1 to String
        assertEquals(13_000_000L, g.get("Byte Buddy").nanos()); // 6 + 7
        assertEquals(8_000_000L, g.get("JNA").nanos());
        assertEquals(88_000_000L, g.get("total").nanos()); // uptime at the last load
    }

    @Test
    void namesKeepLoadOrderAndSkipLinesThatAreNotLoads() throws URISyntaxException {
        assertEquals("java.lang.Object", LoadedClasses.names(fixture()).iterator().next());
        assertEquals(13, LoadedClasses.names(fixture()).size());
    }
}

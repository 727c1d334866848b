package io.numaagent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ClassNamePatternTest {

    @Test
    void nameWithoutStarMatchesOnlyItself() {
        ClassNamePattern p = ClassNamePattern.parse("com.example.NicPoller");
        assertTrue(p.matches("com.example.NicPoller"));
        assertFalse(p.matches("com.example.NicPollerX"));
        assertFalse(p.matches("xcom.example.NicPoller"));
        assertFalse(p.isWildcard());
    }

    @Test
    void nestedClassIsWrittenWithDollar() {
        ClassNamePattern p = ClassNamePattern.parse("com.example.Outer$Inner");
        assertTrue(p.matches("com.example.Outer$Inner"));
        assertFalse(p.matches("com.example.Outer.Inner"));
    }

    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource({
            "*StorageTask,            com.db.LogStorageTask,       true",
            "*StorageTask,            StorageTask,                 true",
            "*StorageTask,            com.db.StorageTaskRunner,    false",
            "com.example.*,           com.example.a.B$C,           true",
            "com.example.*,           com.examples.B,              false",
            "com.*.Worker,            com.x.y.Worker,              true",
            "com.*.Worker,            com.Worker,                  false",
            "*,                       anything.At$All,             true",
            "*Pool*Worker*,           a.PoolWorker,                true",
            "*Pool*Worker*,           a.WorkerPool,                false",
            "a*a,                     a,                           false",
            "a*a,                     aa,                          true",
            "*ab*ab,                  xabab,                       true",
            "*ab*ab,                  xab,                         false",
    })
    void starMatchesAnyRunOfCharacters(String pattern, String name, boolean expected) {
        assertEquals(expected, ClassNamePattern.parse(pattern).matches(name));
    }

    @Test
    void nullNameDoesNotMatch() {
        assertFalse(ClassNamePattern.parse("*").matches(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "com example.Foo", "com..Foo", ".Foo", "Foo.", "com.Foo[]", "com.Foo;", "a\u0000b"})
    void malformedNamesAreRejectedWithTheValidForm(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClassNamePattern.parse(text));
        assertTrue(e.getMessage().contains("expected a binary class name"), e.getMessage());
    }

    @Test
    void toStringIsThePatternAsWritten() {
        assertEquals("*StorageTask", ClassNamePattern.parse("*StorageTask").toString());
    }
}

package io.numaagent.placement;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.AbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** An SLF4J logger that keeps every line, formatted as slf4j-simple would, so tests can count warnings. */
final class RecordingLogger extends AbstractLogger {

    private static final long serialVersionUID = 1L;

    record Line(Level level, String text) {
    }

    private final List<Line> lines = new ArrayList<>();

    RecordingLogger() {
        this.name = "numa-agent";
    }

    synchronized List<Line> lines() {
        return List.copyOf(lines);
    }

    synchronized List<String> warnings() {
        return lines.stream().filter(l -> l.level() == Level.WARN).map(Line::text).toList();
    }

    synchronized List<String> infos() {
        return lines.stream().filter(l -> l.level() == Level.INFO).map(Line::text).toList();
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected synchronized void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments, Throwable throwable) {
        lines.add(new Line(level, MessageFormatter.basicArrayFormat(pattern, arguments)));
    }

    @Override
    public boolean isTraceEnabled() {
        return false;
    }

    @Override
    public boolean isTraceEnabled(Marker marker) {
        return false;
    }

    @Override
    public boolean isDebugEnabled() {
        return true;
    }

    @Override
    public boolean isDebugEnabled(Marker marker) {
        return true;
    }

    @Override
    public boolean isInfoEnabled() {
        return true;
    }

    @Override
    public boolean isInfoEnabled(Marker marker) {
        return true;
    }

    @Override
    public boolean isWarnEnabled() {
        return true;
    }

    @Override
    public boolean isWarnEnabled(Marker marker) {
        return true;
    }

    @Override
    public boolean isErrorEnabled() {
        return true;
    }

    @Override
    public boolean isErrorEnabled(Marker marker) {
        return true;
    }
}

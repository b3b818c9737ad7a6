package org.berth.api;

import java.io.IOException;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;

/**
 * A request body stream that tells {@link #counted} how many bytes each read returned; all else
 * is the wrapped stream's. The filters that count (metrics) or cap (body limits) what is read
 * share it.
 */
abstract class CountingServletInputStream extends ServletInputStream {

    private final ServletInputStream in;

    CountingServletInputStream(ServletInputStream in) {
        this.in = in;
    }

    /** Called after each read with the number of bytes it returned (more than 0). */
    protected abstract void counted(long bytes);

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            counted(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = in.read(buffer, offset, length);
        if (n > 0) {
            counted(n);
        }
        return n;
    }

    @Override
    public int available() throws IOException {
        return in.available();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    @Override
    public boolean isFinished() {
        return in.isFinished();
    }

    @Override
    public boolean isReady() {
        return in.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
        in.setReadListener(listener);
    }
}

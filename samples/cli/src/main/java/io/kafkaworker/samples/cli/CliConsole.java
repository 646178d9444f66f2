package io.kafkaworker.samples.cli;

import java.io.InputStream;
import java.io.PrintWriter;

/**
 * Where a command reads its input and writes its output and errors: the process's
 * standard streams, or a test's.
 *
 * @param in what {@code produce} reads records from when no value is given
 * @param out the command's output
 * @param err the one-line errors and usage help after a usage error
 */
public record CliConsole(InputStream in, PrintWriter out, PrintWriter err) {

}

package dev.sablegraph.stress;

/** A command line the tool cannot run; the message names the offending argument. */
final class UsageException extends Exception {
    UsageException(String message) {
        super(message);
    }
}

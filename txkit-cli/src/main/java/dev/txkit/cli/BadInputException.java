package dev.txkit.cli;

/** Input the CLI cannot work with; printed as one line, exit code 2. */
final class BadInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadInputException(String message) {
        super(message);
    }
}

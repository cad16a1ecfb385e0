package dev.txkit.examples.wallet;

/** A request the business rules refuse (insufficient funds, bad amount): HTTP 422, nothing written. */
final class BusinessRule extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BusinessRule(String message) {
        super(message);
    }
}

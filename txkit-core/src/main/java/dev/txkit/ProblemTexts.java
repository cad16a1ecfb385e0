package dev.txkit;

/** Client-facing titles and details of {@link Problem}: short, fixed, free of SQL and values. */
final class ProblemTexts {
    private ProblemTexts() {
    }

    static String title(ErrorCode code) {
        return switch (code) {
            case CONFLICT -> "Write conflict";
            case DEADLOCK -> "Deadlock";
            case LOCK_TIMEOUT -> "Resource is locked";
            case OPTIMISTIC_CONFLICT -> "Modified by another user";
            case UNIQUE_VIOLATION -> "Already exists";
            case CONSTRAINT_VIOLATION -> "Constraint violated";
            case NOT_FOUND -> "Not found";
            case TIMEOUT -> "Transaction timed out";
            case CANCELLED -> "Operation cancelled";
            case ACQUIRE_TIMEOUT, POOL_EXHAUSTED, ADMISSION_TIMEOUT -> "Service busy";
            case COMMIT_UNKNOWN -> "Outcome unknown";
            case CONNECTION_FAILURE -> "Database unavailable";
            case UNSUPPORTED -> "Not supported";
            case INVALID_ARGUMENT -> "Invalid request";
            case IDEMPOTENCY_MISMATCH -> "Idempotency key reused";
            default -> "Internal error";
        };
    }

    static String detail(ErrorCode code) {
        return switch (code) {
            case CONFLICT, DEADLOCK -> "a concurrent change collided with this one; nothing was saved; try again";
            case LOCK_TIMEOUT -> "the resource is being changed by someone else; nothing was saved; try again shortly";
            case OPTIMISTIC_CONFLICT -> "modified by another user; refresh and try again";
            case UNIQUE_VIOLATION -> "a resource with the same unique value already exists";
            case CONSTRAINT_VIOLATION -> "the change would break a data integrity rule; nothing was saved";
            case NOT_FOUND -> "the resource does not exist (it may have been deleted)";
            case TIMEOUT -> "the operation took too long and was rolled back; nothing was saved";
            case CANCELLED -> "the operation was cancelled on the database and rolled back; nothing was saved";
            case ACQUIRE_TIMEOUT, POOL_EXHAUSTED, ADMISSION_TIMEOUT -> "the service is overloaded; try again later";
            case COMMIT_UNKNOWN -> "the connection was lost while saving; the change may or may not have been saved;"
                    + " check before repeating it";
            case CONNECTION_FAILURE -> "the database could not be reached; nothing was saved; try again later";
            case UNSUPPORTED -> "this operation is not supported by the service's database";
            case INVALID_ARGUMENT -> "the request contains an invalid value";
            case IDEMPOTENCY_MISMATCH -> "this idempotency key was already used for a different request; nothing was"
                    + " done; use a new key for a new request";
            default -> "the service failed to process the request";
        };
    }
}

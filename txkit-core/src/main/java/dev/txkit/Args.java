package dev.txkit;

/** Argument checks shared by the API classes: a bad argument is INVALID_ARGUMENT naming it. Static; thread-safe. */
final class Args {
    private Args() {
    }

    /** {@code value}, or INVALID_ARGUMENT "{@code name} must not be null". */
    static <T> T nonNull(T value, String name) {
        if (value == null) {
            throw TxkitException.of(ErrorCode.INVALID_ARGUMENT, name + " must not be null");
        }
        return value;
    }

    /** {@code list}, or INVALID_ARGUMENT when it is null ("{@code name} ...") or holds a null ("{@code element} i ..."). */
    static <L extends java.util.List<?>> L noNullElement(L list, String name, String element) {
        nonNull(list, name);
        for (int i = 0; i < list.size(); i++) {
            nonNull(list.get(i), element + " " + i);
        }
        return list;
    }
}

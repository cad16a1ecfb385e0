package dev.txkit;

import java.util.Locale;

/**
 * An RFC 9457 "problem details" body for a {@link TxkitException}, so a web layer can answer
 * {@code application/problem+json} without a framework: {@code Problem.of(e).toJson()} with status
 * {@link #status()}. The detail is a fixed, client-safe sentence per {@link ErrorCode} — never the
 * exception message, which may name SQL and tables — and never a bound value. Extension members
 * {@code code} and {@code retryable} carry the txkit code. Immutable and thread-safe.
 *
 * <pre>{@code
 * } catch (TxkitException e) {
 *     Problem p = Problem.of(e);
 *     response.status(p.status()).contentType(Problem.CONTENT_TYPE).body(p.toJson());
 * }</pre>
 */
public final class Problem {
    /** The media type of {@link #toJson()}. */
    public static final String CONTENT_TYPE = "application/problem+json";
    private static final String TYPE_PREFIX = "urn:txkit:problem:";

    private final ErrorCode code;
    private final String title;
    private final String detail;
    private final String instance;

    private Problem(ErrorCode code, String title, String detail, String instance) {
        this.code = code;
        this.title = title;
        this.detail = detail;
        this.instance = instance;
    }

    /**
     * The problem for {@code failure}'s code. Only the code is used: the exception's message stays out of
     * the body.
     *
     * @param failure the caught exception
     * @return the problem with the code's fixed title and detail and no instance
     * @throws TxkitException {@link ErrorCode#INVALID_ARGUMENT} for {@code null}
     */
    public static Problem of(TxkitException failure) {
        if (failure == null) {
            throw TxkitException.of(ErrorCode.INVALID_ARGUMENT, "failure must not be null");
        }
        return of(failure.code());
    }

    /**
     * The problem for {@code code}.
     *
     * @param code the error code
     * @return the problem with the code's fixed title and detail and no instance
     * @throws TxkitException {@link ErrorCode#INVALID_ARGUMENT} for {@code null}
     */
    public static Problem of(ErrorCode code) {
        if (code == null) {
            throw TxkitException.of(ErrorCode.INVALID_ARGUMENT, "code must not be null");
        }
        return new Problem(code, ProblemTexts.title(code), ProblemTexts.detail(code), null);
    }

    /**
     * A copy with another detail, e.g. one naming the resource; it must not contain secrets.
     *
     * @param detail the sentence for the client; escaped when written as JSON
     * @return the copy
     * @throws TxkitException {@link ErrorCode#INVALID_ARGUMENT} for {@code null}
     */
    public Problem withDetail(String detail) {
        if (detail == null) {
            throw TxkitException.of(ErrorCode.INVALID_ARGUMENT, "detail must not be null");
        }
        return new Problem(code, title, detail, instance);
    }

    /**
     * A copy with an {@code instance} URI reference (e.g. the request path).
     *
     * @param instance the URI reference, or {@code null} to leave the member out
     * @return the copy
     */
    public Problem withInstance(String instance) {
        return new Problem(code, title, detail, instance);
    }

    /** {@return the HTTP status to answer with ({@link ErrorCode#httpStatus()})} */
    public int status() {
        return code.httpStatus();
    }

    /** {@return a URI naming the problem type, e.g. {@code urn:txkit:problem:optimistic-conflict}} */
    public String type() {
        return TYPE_PREFIX + code.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** {@return a short summary that is the same for every occurrence of this type} */
    public String title() {
        return title;
    }

    /** {@return what happened and what the client can do} */
    public String detail() {
        return detail;
    }

    /** {@return the instance URI reference, or {@code null}} */
    public String instance() {
        return instance;
    }

    /** {@return the txkit code, written as the {@code code} extension member} */
    public ErrorCode code() {
        return code;
    }

    /**
     * {@return the body as JSON: {@code {"type":…,"title":…,"status":…,"detail":…[,"instance":…],"code":…,"retryable":…}}}
     */
    public String toJson() {
        StringBuilder sb = new StringBuilder(256).append('{');
        member(sb, "type", type()).append(',');
        member(sb, "title", title).append(',');
        sb.append("\"status\":").append(status()).append(',');
        member(sb, "detail", detail).append(',');
        if (instance != null) {
            member(sb, "instance", instance).append(',');
        }
        member(sb, "code", code.name()).append(',');
        sb.append("\"retryable\":").append(code.retryable());
        return sb.append('}').toString();
    }

    private static StringBuilder member(StringBuilder sb, String name, String value) {
        return quote(quote(sb, name).append(':'), value);
    }

    /** Appends {@code s} as a JSON string (RFC 8259 §7): quote, backslash and control characters escaped. */
    static StringBuilder quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"':
                    sb.append("\\\"");
                    break;
                case '\\':
                    sb.append("\\\\");
                    break;
                case '\n':
                    sb.append("\\n");
                    break;
                case '\r':
                    sb.append("\\r");
                    break;
                case '\t':
                    sb.append("\\t");
                    break;
                case '\b':
                    sb.append("\\b");
                    break;
                case '\f':
                    sb.append("\\f");
                    break;
                default:
                    // U+2028/2029 are valid JSON but break JavaScript string literals; escape them too
                    if (ch < 0x20 || ch == 0x2028 || ch == 0x2029) {
                        sb.append(String.format("\\u%04x", (int) ch));
                    } else {
                        sb.append(ch);
                    }
            }
        }
        return sb.append('"');
    }

    @Override
    public String toString() {
        return "Problem[" + status() + " " + type() + "]";
    }
}

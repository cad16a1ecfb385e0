package dev.txkit.spring;

import dev.txkit.Problem;
import dev.txkit.TxkitException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import java.net.URI;

/**
 * Answers a {@link TxkitException} that reaches a controller (Spring MVC or WebFlux) with an RFC 9457
 * {@code application/problem+json} body: the status from the {@link dev.txkit.ErrorCode}, a fixed
 * client-safe title and detail (txkit's {@link Problem} texts: never the exception message, which
 * names SQL, and never a bound value), and the properties {@code code} and {@code retryable}.
 * An {@code OPTIMISTIC_CONFLICT} becomes 409 "modified by another user; refresh and try again".
 *
 * <p>Auto-configured; declare your own bean of this type (or a subclass) to replace it, or set
 * {@code txkit.problem-details.enabled=false}. Override {@link #toProblemDetail} to add fields.
 * Stateless and thread-safe.
 */
@RestControllerAdvice
public class TxkitProblemDetailsAdvice {
    /** The advice; auto-configured, or declared by the application to replace or extend it. */
    public TxkitProblemDetailsAdvice() {
    }


    /**
     * Answers a TxkitException that reached a controller with {@code application/problem+json}.
     *
     * @param failure the exception
     * @return the response: the code's HTTP status and the body of {@link #toProblemDetail}
     */
    @ExceptionHandler(TxkitException.class)
    public ResponseEntity<ProblemDetail> handle(TxkitException failure) {
        ProblemDetail body = toProblemDetail(failure);
        return ResponseEntity.status(body.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(body);
    }

    /**
     * The body for {@code failure}: {@link Problem}'s fixed, client-safe type, title and detail, plus the
     * {@code code} and {@code retryable} properties; never the exception's message.
     *
     * @param failure the exception
     * @return the body
     */
    protected ProblemDetail toProblemDetail(TxkitException failure) {
        Problem p = Problem.of(failure);
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.valueOf(p.status()), p.detail());
        body.setType(URI.create(p.type()));
        body.setTitle(p.title());
        body.setProperty("code", p.code().name());
        body.setProperty("retryable", failure.retryable());
        return body;
    }
}

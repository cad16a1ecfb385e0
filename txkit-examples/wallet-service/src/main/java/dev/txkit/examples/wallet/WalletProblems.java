package dev.txkit.examples.wallet;

import dev.txkit.TxkitException;
import dev.txkit.spring.TxkitProblemDetailsAdvice;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The starter's ProblemDetail advice, extended (so the auto-configured one backs off): a stale
 * document save also carries the current document, which the editor page shows; business-rule
 * refusals are 422; a debit without an Idempotency-Key is 400.
 */
@RestControllerAdvice
public class WalletProblems extends TxkitProblemDetailsAdvice {

    @Override
    protected ProblemDetail toProblemDetail(TxkitException failure) {
        ProblemDetail body = super.toProblemDetail(failure);
        if (failure instanceof StaleDocument stale) {
            body.setProperty("current", stale.current());
        }
        return body;
    }

    @ExceptionHandler(BusinessRule.class)
    public ResponseEntity<ProblemDetail> refused(BusinessRule refusal) {
        return problem(HttpStatus.UNPROCESSABLE_CONTENT, refusal.getMessage());
    }

    @ExceptionHandler(MissingRequestHeaderException.class)
    public ResponseEntity<ProblemDetail> missingHeader(MissingRequestHeaderException missing) {
        return problem(HttpStatus.BAD_REQUEST, "the " + missing.getHeaderName() + " header is required");
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String detail) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(ProblemDetail.forStatusAndDetail(status, detail));
    }
}

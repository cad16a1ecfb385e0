package dev.txkit.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a test method or class using {@link TxkitExtension}: run without the wrapping transaction, so
 * writes are really committed. Needed for concurrency tests, whose other threads cannot see (and
 * would block on) an uncommitted test transaction. The extension's clean-up statements
 * ({@link TxkitExtension#cleanUp(String...)}) run after each such test; the leak check still runs.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface NoRollback {
}

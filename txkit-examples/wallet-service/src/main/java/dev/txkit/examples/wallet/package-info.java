/**
 * The reference web service built on the Spring Boot starter: idempotent debits, transfers and a document
 * editor whose stale saves get HTTP 409. An example, not published.
 */
package dev.txkit.examples.wallet;

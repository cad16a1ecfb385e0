package dev.txkit.it.readme;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Stands in for the README's mailer: remembers what it was asked to send, in order. Thread-safe. */
final class Mailer {
    final List<String> sent = new CopyOnWriteArrayList<>();

    void send(String mail) {
        sent.add(mail);
    }

    void sendReceipt(String id) {
        sent.add("receipt for " + id);
    }
}

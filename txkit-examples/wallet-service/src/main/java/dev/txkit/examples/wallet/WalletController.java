package dev.txkit.examples.wallet;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/** The HTTP API; failures become problem+json through {@link WalletProblems}. */
@RestController
public class WalletController {
    private final WalletService wallets;
    private final TransferService transfers;
    private final DocumentService documents;

    public WalletController(WalletService wallets, TransferService transfers, DocumentService documents) {
        this.wallets = wallets;
        this.transfers = transfers;
        this.documents = documents;
    }

    /** Request body of a debit. */
    public record Debit(long amount) {
    }

    /** Request body of a transfer. */
    public record TransferRequest(String from, String to, long amount) {
    }

    /** Request body of a document save: the edit and the version it was made on. */
    public record DocumentEdit(String title, String body, int version) {
    }

    @GetMapping("/wallets/{id}")
    public Wallet wallet(@PathVariable String id) {
        return wallets.wallet(id);
    }

    @PostMapping("/wallets/{id}/debit")
    public Receipt debit(@PathVariable String id, @RequestHeader("Idempotency-Key") String key, @RequestBody Debit debit) {
        return wallets.debit(id, debit.amount(), key);
    }

    @PostMapping("/transfers")
    public TransferService.Transfer transfer(@RequestBody TransferRequest t) {
        return transfers.transfer(t.from(), t.to(), t.amount());
    }

    @GetMapping("/documents/{id}")
    public Document document(@PathVariable String id) {
        return documents.get(id);
    }

    @PutMapping("/documents/{id}")
    public Document save(@PathVariable String id, @RequestBody DocumentEdit edit) {
        return documents.save(new Document(id, edit.title(), edit.body(), edit.version()));
    }
}

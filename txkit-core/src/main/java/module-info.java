/**
 * txkit core: safe, fast database transactions over JDBC. Exports the API ({@code dev.txkit},
 * {@code dev.txkit.retry}, {@code dev.txkit.table}, {@code dev.txkit.dialect}) and the extension
 * points ({@code dev.txkit.spi}); {@code dev.txkit.internal} and its packages stay sealed.
 *
 * <p>HikariCP is optional ({@code requires static}): only {@code Database.connect} needs it, so an
 * application that wants it on the module path requires {@code com.zaxxer.hikari} itself. Rows are
 * mapped to records by their canonical constructor, so a record in a package that is not exported
 * must be opened to this module ({@code opens my.pkg to dev.txkit}). On the class path none of this
 * applies and everything works as before.
 */
module dev.txkit {
    requires transitive java.sql;
    requires static com.zaxxer.hikari;

    exports dev.txkit;
    exports dev.txkit.retry;
    exports dev.txkit.table;
    exports dev.txkit.dialect;
    exports dev.txkit.spi;
}

package dev.txkit.spring;

import dev.txkit.Database;
import dev.txkit.testing.DbKind;
import dev.txkit.testing.TestDatabase;
import dev.txkit.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's Spring Boot block: {@link Hello} is exactly the controller it shows, in an application
 * with nothing but Boot's auto-configuration and the starter, served by a real embedded server on a
 * random port and asked over HTTP; Boot's DataSource points at PostgreSQL.
 */
@SpringBootTest(classes = ReadmeHelloIT.HelloApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ReadmeHelloIT {
    static final TestDatabase DB = TestDatabases.create(DbKind.POSTGRES, "readme_hello");

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(Hello.class)
    static class HelloApp {
    }

    @DynamicPropertySource
    static void datasource(DynamicPropertyRegistry r) {
        BootDatabases.register(r, DB);
    }

    @AfterAll
    static void drop() {
        BootDatabases.closeContextThenDrop(DB);
    }

    @LocalServerPort
    int port;
    @Autowired
    Database db;

    @Test
    void helloAnswersFromATxkitTransactionOverBootsDataSource() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/hello")).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("hello from txkit");
        assertThat(db.openTransactions()).isZero();
        assertThat(db.dialect().getClass().getSimpleName()).isEqualTo("PostgresDialect");
    }
}

// tag::hello[]
@RestController
class Hello {
    private final Database db;                       // auto-configured over Boot's own DataSource
    Hello(Database db) { this.db = db; }

    @GetMapping("/hello")
    String hello() { return db.inTransaction(tx -> tx.sql("select 'hello from txkit'").one(String.class)); }
}
// end::hello[]

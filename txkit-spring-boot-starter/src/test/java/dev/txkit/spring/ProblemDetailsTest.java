package dev.txkit.spring;

import dev.txkit.ErrorCode;
import dev.txkit.TxkitException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** A TxkitException reaching a controller becomes an RFC 9457 body, in MVC (auto-configured) and WebFlux. */
class ProblemDetailsTest {
    private final WebApplicationContextRunner mvc = new WebApplicationContextRunner()
            .withPropertyValues("spring.datasource.url=jdbc:h2:mem:problems;DB_CLOSE_DELAY=-1")
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, JacksonAutoConfiguration.class,
                    HttpMessageConvertersAutoConfiguration.class, DispatcherServletAutoConfiguration.class,
                    WebMvcAutoConfiguration.class, TxkitAutoConfiguration.class))
            .withUserConfiguration(Failing.class);

    @Test
    void mvcAnswersProblemJsonWithCodeAndRetryableAndNoValues() {
        mvc.run(ctx -> {
            MockMvc client = MockMvcBuilders.webAppContextSetup(ctx).build();
            client.perform(get("/fail/OPTIMISTIC_CONFLICT"))
                    .andExpect(status().isConflict())
                    .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.status").value(409))
                    .andExpect(jsonPath("$.code").value("OPTIMISTIC_CONFLICT"))
                    .andExpect(jsonPath("$.retryable").value(false))
                    .andExpect(jsonPath("$.detail").value("modified by another user; refresh and try again"))
                    .andExpect(result -> assertThat(result.getResponse().getContentAsString())
                            .doesNotContain("4242", "wallet", "UPDATE"));
            client.perform(get("/fail/CONFLICT")).andExpect(status().isConflict())
                    .andExpect(jsonPath("$.retryable").value(true));
            client.perform(get("/fail/TIMEOUT")).andExpect(status().isServiceUnavailable())
                    .andExpect(jsonPath("$.code").value("TIMEOUT"));
            client.perform(get("/fail/INVALID_ARGUMENT")).andExpect(status().isBadRequest());
        });
    }

    @Test
    void adviceBacksOffForTheApplicationsOwnOrWhenSwitchedOff() {
        mvc.withUserConfiguration(OwnAdvice.class).run(ctx -> assertThat(ctx)
                .hasSingleBean(TxkitProblemDetailsAdvice.class).getBean(TxkitProblemDetailsAdvice.class)
                .isInstanceOf(OwnAdvice.Mine.class));
        mvc.withPropertyValues("txkit.problem-details.enabled=false").run(ctx -> assertThat(ctx)
                .doesNotHaveBean(TxkitProblemDetailsAdvice.class));
    }

    @Test
    void webFluxControllersGetTheSameBody() {
        WebTestClient client = WebTestClient.bindToController(new Failing()).controllerAdvice(new TxkitProblemDetailsAdvice())
                .build();
        client.get().uri("/fail/DEADLOCK").exchange()
                .expectStatus().isEqualTo(409)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("DEADLOCK").jsonPath("$.retryable").isEqualTo(true);
    }

    @RestController
    static class Failing {
        @GetMapping("/fail/{code}")
        String fail(@PathVariable("code") String code) {
            // the message names SQL and a value, as driver-derived messages may: neither may reach the client
            throw TxkitException.of(ErrorCode.valueOf(code), "UPDATE wallet SET balance = 4242 failed");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnAdvice {
        static final class Mine extends TxkitProblemDetailsAdvice {
        }

        @Bean
        TxkitProblemDetailsAdvice mine() {
            return new Mine();
        }
    }
}

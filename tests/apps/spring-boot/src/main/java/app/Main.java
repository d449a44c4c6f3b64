// Stand-in for a Spring Boot app: the JDK's own HTTP server, because a real Spring Boot build needs
// hundreds of Maven artifacts. It honours what the charm sets the way Spring Boot would: SERVER_PORT.
package app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

public final class Main {
    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(System.getenv().getOrDefault("SERVER_PORT", "8080"));
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext("/", exchange -> {
            if (exchange.getRequestURI().getPath().equals("/")) {
                respond(exchange, 200, "text/plain", "spring-boot test app\n");
            } else {
                respond(exchange, 404, "text/plain", "not found\n");
            }
        });
        server.createContext("/env", exchange -> respond(exchange, 200, "application/json", toJson(new TreeMap<>(System.getenv()))));
        server.start();
        System.out.println("spring-boot-app listening on port " + port);
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        System.out.println(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " " + status);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String toJson(Map<String, String> map) {
        StringBuilder json = new StringBuilder("{");
        for (Map.Entry<String, String> entry : map.entrySet()) {
            if (json.length() > 1) json.append(',');
            json.append(quote(entry.getKey())).append(':').append(quote(entry.getValue()));
        }
        return json.append('}').toString();
    }

    private static String quote(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                default -> {
                    if (c < 0x20) quoted.append(String.format("\\u%04x", (int) c));
                    else quoted.append(c);
                }
            }
        }
        return quoted.append('"').toString();
    }
}

// Go test app: listens on PORT, echoes its environment on /env, reads and writes PostgreSQL on /items
// (lib/pq, through POSTGRESQL_DB_CONNECT_STRING).
package main

import (
	"database/sql"
	"encoding/json"
	"log"
	"net/http"
	"os"
	"strings"

	_ "github.com/lib/pq"
)

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("go test app\n"))
	})
	mux.HandleFunc("GET /env", func(w http.ResponseWriter, r *http.Request) {
		env := map[string]string{}
		for _, entry := range os.Environ() {
			name, value, _ := strings.Cut(entry, "=")
			env[name] = value
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(env)
	})
	mux.HandleFunc("GET /items", func(w http.ResponseWriter, r *http.Request) {
		withDatabase(w, func(db *sql.DB) error {
			rows, err := db.Query("SELECT id, value FROM items ORDER BY id")
			if err != nil {
				return err
			}
			defer rows.Close()
			items := []item{}
			for rows.Next() {
				var it item
				if err := rows.Scan(&it.ID, &it.Value); err != nil {
					return err
				}
				items = append(items, it)
			}
			return writeJSON(w, http.StatusOK, items)
		})
	})
	mux.HandleFunc("POST /items", func(w http.ResponseWriter, r *http.Request) {
		var body struct{ Value string }
		if json.NewDecoder(r.Body).Decode(&body) != nil || body.Value == "" {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": `send a JSON body {"value": "<non-empty string>"}`})
			return
		}
		withDatabase(w, func(db *sql.DB) error {
			it := item{Value: body.Value}
			if err := db.QueryRow("INSERT INTO items (value) VALUES ($1) RETURNING id", body.Value).Scan(&it.ID); err != nil {
				return err
			}
			return writeJSON(w, http.StatusCreated, it)
		})
	})
	log.SetOutput(os.Stdout)
	log.Printf("go-app listening on port %s", port)
	log.Fatal(http.ListenAndServe(":"+port, logRequests(mux)))
}

func logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		log.Printf("%s %s", r.Method, r.URL.Path)
		next.ServeHTTP(w, r)
	})
}

type item struct {
	ID    int    `json:"id"`
	Value string `json:"value"`
}

// withDatabase runs use with the database the charm names, creating the items table on first use: the
// Go app has no migrate.sh.
func withDatabase(w http.ResponseWriter, use func(*sql.DB) error) {
	url := os.Getenv("POSTGRESQL_DB_CONNECT_STRING")
	if url == "" {
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": "no database: POSTGRESQL_DB_CONNECT_STRING is not set"})
		return
	}
	if !strings.Contains(url, "sslmode=") {
		// The charm's URL names no sslmode; lib/pq would then require TLS, which the database may not offer.
		separator := "?"
		if strings.Contains(url, "?") {
			separator = "&"
		}
		url += separator + "sslmode=disable"
	}
	db, err := sql.Open("postgres", url)
	if err == nil {
		defer db.Close()
		_, err = db.Exec("CREATE TABLE IF NOT EXISTS items (id SERIAL PRIMARY KEY, value TEXT NOT NULL)")
	}
	if err == nil {
		err = use(db)
	}
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": err.Error()})
	}
}

func writeJSON(w http.ResponseWriter, status int, value any) error {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	return json.NewEncoder(w).Encode(value)
}

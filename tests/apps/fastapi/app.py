"""FastAPI test app; uvicorn takes its port and host from UVICORN_PORT and UVICORN_HOST."""
import os

from fastapi import FastAPI
from fastapi.responses import PlainTextResponse

app = FastAPI()


@app.get("/", response_class=PlainTextResponse)
def index():
    return "fastapi test app\n"


@app.get("/env")
def environment():
    return dict(os.environ)

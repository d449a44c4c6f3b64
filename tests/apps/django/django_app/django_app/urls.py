import os

from django.http import HttpResponse, JsonResponse
from django.urls import path


def index(request):
    return HttpResponse("django test app\n")


def environment(request):
    return JsonResponse(dict(os.environ))


urlpatterns = [path("", index), path("env", environment)]

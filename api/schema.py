"""How the OpenAPI document describes the API beyond what drf-spectacular reads from the views:
the error answers every operation may give (each a JSON object), the spreadsheet feeds as files
(not as JSON in another media type), and which operations answer without a token."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

from .permissions import PublicRead

# 2xx bodies by media type: the feeds are files whatever the JSON answer's shape.
FILE_SCHEMAS = {
    "text/csv": {"type": "string", "description": "A CSV file (UTF-8), one row an object"},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
        "type": "string",
        "format": "binary",
        "description": "An Excel workbook, one row an object",
    },
}

INVALID_PARAMETERS = {
    "type": "object",
    "description": "For each query parameter that is not valid, what is wrong with it",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, in plain English")


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description)


ERRORS = {
    "400": OpenApiResponse(
        INVALID_PARAMETERS,
        description="A query parameter is not valid (a filter, `cursor`, `page_size` or `format`)",
    ),
    "401": _error("No token was sent, or the token is unknown, revoked or expired"),
    "404": _error("There is no such object, or you may not see it"),
    "406": _error("None of the media types in the Accept header can be given"),
    "429": _error("Too many requests with this token: wait the seconds in Retry-After"),
}


class ApiAutoSchema(AutoSchema):
    def get_auth(self):
        auths = super().get_auth()
        public = any(isinstance(p, PublicRead) for p in self.view.get_permissions())
        if public and {} not in auths:
            auths.append({})  # answers without a token too (rows of open programmes)
        return auths

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, response in responses.items():
            if code.startswith("2"):
                for media_type, body in response.get("content", {}).items():
                    if media_type in FILE_SCHEMAS:
                        body["schema"] = dict(FILE_SCHEMAS[media_type])
        for code, error in ERRORS.items():
            if code == "404" and "{" not in self.path:
                continue  # a list has no object to miss
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    error, code, media_types=["application/json"], direction=direction
                )
        return responses

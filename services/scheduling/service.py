"""nameko entrypoints of the scheduling service.

    nameko run --config deploy/nameko.yaml services.scheduling.service
"""
from services.scheduling import definition
from shared.messaging.nameko_adapter import nameko_service

SchedulingService = nameko_service(definition)

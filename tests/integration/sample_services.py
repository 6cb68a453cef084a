"""Both sample services in one process: nameko run tests.integration.sample_services"""
from shared.messaging.nameko_adapter import nameko_service
from shared.service import ServiceDefinition
from tests.integration import sample_sink, sample_source


def definition(module, app_cls: type) -> ServiceDefinition:
    """A sample service declared the way services/<name>/__init__.py declares a real one."""
    return ServiceDefinition(name=app_cls.name, nameko_module=__name__, application=lambda: app_cls,
                             build=module.build_application, projections=dict)


SourceService = nameko_service(definition(sample_source, sample_source.SourceApp))
SinkService = nameko_service(definition(sample_sink, sample_sink.SinkApp))

"""Import every domain's models so Base.metadata is complete (Alembic and tests use this)."""

from yaosu.auth import models as auth_models
from yaosu.catalog import models as catalog_models
from yaosu.db.base import Base
from yaosu.deid import models as deid_models
from yaosu.ledger import models as ledger_models
from yaosu.market import models as market_models
from yaosu.market import trading_models as market_trading_models
from yaosu.node import models as node_models
from yaosu.quality import models as quality_models
from yaosu.registration import models as registration_models
from yaosu.resources import models as resource_models
from yaosu.rights import models as rights_models
from yaosu.sandbox import models as sandbox_models
from yaosu.settlement import models as settlement_models
from yaosu.watermark import models as watermark_models

__all__ = ["Base", "auth_models", "catalog_models", "deid_models", "ledger_models", "market_models",
           "market_trading_models", "node_models", "quality_models", "registration_models", "resource_models",
           "rights_models", "sandbox_models", "settlement_models", "watermark_models"]

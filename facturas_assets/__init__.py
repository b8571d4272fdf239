"""facturas: the invoice data platform of a textile-machinery maintenance business."""

// Imported first by entry points: fills process.env from .env (variables already set win).
import dotenv from "dotenv";

dotenv.config({ quiet: true });

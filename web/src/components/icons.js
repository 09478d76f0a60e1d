// The icons the left menu may name in meta.icon (a curated set keeps the bundle small).
export {
  House, OfficeBuilding, DataAnalysis, Document, List, Money, User, UserFilled, Files, Bell,
  Setting, Tickets, Checked, Stamp, Search, Medal, Histogram, Wallet, Reading, Trophy, Calendar,
  Notebook, Postcard, CreditCard, Collection, Promotion, Finished, EditPen, Coin, Lock,
  RefreshRight, AlarmClock,
} from '@element-plus/icons-vue'

// ECharts for the dashboard only: the core with the two chart types and the components it
// draws, canvas renderer (getDataURL gives the PNG).  Imported by the dashboard chunk alone.
import * as echarts from 'echarts/core'
import { BarChart, PieChart } from 'echarts/charts'
import { GridComponent, TooltipComponent, LegendComponent } from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'

echarts.use([BarChart, PieChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer])
export { echarts }
